"""The PyTorch baseline of `npm run bench`: relu-1d (width 1000, 4 points, full-batch SGD lr 0.05, ½·MSE).

Prints one line `steps/s N`. The same network and data as the preset; one thread, as a 2-core laptop would run it.
"""
import sys
import time

import torch


def main(steps: int) -> None:
    torch.manual_seed(0)
    torch.set_num_threads(1)
    m, gamma = 1000, 1.0
    x = torch.linspace(-1, 1, 4).reshape(4, 1)
    y = 0.2 * torch.relu(x - 1 / 3) + 0.2 * torch.relu(-x - 1 / 3)
    w = torch.nn.Parameter(torch.randn(m, 1) * m**-gamma)
    b = torch.nn.Parameter(torch.randn(m) * m**-gamma)
    a = torch.nn.Parameter(torch.randn(1, m) * m**-gamma)
    opt = torch.optim.SGD([w, b, a], lr=0.05)

    def step() -> None:
        opt.zero_grad()
        f = torch.relu(x @ w.T + b) @ a.T
        loss = 0.5 * ((f - y) ** 2).mean()
        loss.backward()
        opt.step()

    for _ in range(200):
        step()
    # CPU time, as the TypeScript side measures it: what other processes take of the cores is not counted.
    start = time.process_time()
    for _ in range(steps):
        step()
    print(f"steps/s {steps / (time.process_time() - start):.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)

// The init scales of the two-layer net, from the preset's γ or from the JMLR 2021 phase-diagram exponents.
import type { TrainConfig } from './presets';

/** Standard deviations of the input weights w_k (with the bias) and of the output weights a_k, and the 1/α factor. */
export interface InitScale {
  readonly input: number;
  readonly output: number;
  readonly alpha: number;
}

/**
 * The preset's `gamma` draws every weight from N(0, (m^−γ)²). The phase diagram's f = (1/α)·Σ a_k·σ(w_k·x), with
 * a ~ N(0, β₁²), w ~ N(0, β₂²), has γ = −log(β₁β₂/α)/log m and γ′ = −log(β₁/β₂)/log m, so
 * β₁ = √α·m^−(γ+γ′)/2 and β₂ = √α·m^−(γ−γ′)/2: with α = 1 and equal scales the phase γ is twice the preset's.
 */
export function initScale(config: TrainConfig): InitScale {
  const m = config.width;
  const alpha = config.alpha ?? 1;
  if (config.phaseGamma === undefined) {
    const std = Math.pow(m, -config.gamma);
    return { input: std, output: std, alpha };
  }
  const g = config.phaseGamma;
  const gp = config.phaseGammaPrime ?? 0;
  return {
    input: Math.sqrt(alpha) * Math.pow(m, -(g - gp) / 2),
    output: Math.sqrt(alpha) * Math.pow(m, -(g + gp) / 2),
    alpha,
  };
}

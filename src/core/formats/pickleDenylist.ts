// Globals that would run code when a pickle is loaded with torch.load: naming one makes a file unsafe.
// Gathered from picklescan's and fickling's lists of dangerous callables, matched after normalising names.

const PATH_METHODS = [
  'write_text',
  'write_bytes',
  'read_text',
  'read_bytes',
  'open',
  'unlink',
  'rmdir',
  'rename',
].concat(['replace', 'touch', 'mkdir', 'symlink_to', 'hardlink_to', 'chmod', 'expanduser', 'glob', 'rglob']);

/** Module → names that run code (`*`: the whole module). */
const denylist: ReadonlyMap<string, readonly string[]> = new Map([
  ['os', ['*']],
  ['posix', ['*']],
  ['nt', ['*']],
  ['subprocess', ['*']],
  ['commands', ['*']],
  ['pty', ['*']],
  ['runpy', ['*']],
  ['marshal', ['*']],
  ['ctypes', ['*']],
  ['importlib', ['*']],
  ['code', ['*']],
  ['codeop', ['*']],
  ['bdb', ['*']],
  ['pdb', ['*']],
  ['cProfile', ['*']],
  ['profile', ['*']],
  ['timeit', ['*']],
  ['trace', ['*']],
  ['webbrowser', ['*']],
  ['shutil', ['*']],
  ['socket', ['*']],
  ['sys', ['*']],
  ['asyncio', ['*']],
  ['io', ['open', 'open_code', 'FileIO']],
  ['_io', ['open', 'open_code', 'FileIO']],
  // A pickled path (Lightning's hparams hold them) is data; its methods that touch files are not.
  ...['Path', 'PosixPath', 'WindowsPath'].map((c): [string, readonly string[]] => [`pathlib.${c}`, PATH_METHODS]),
  ['codecs', ['open']],
  ['tempfile', ['*']],
  ['glob', ['*']],
  ['multiprocessing', ['*']],
  ['pip', ['*']],
  ['venv', ['*']],
  ['httplib', ['*']],
  ['http', ['*']],
  ['urllib', ['*']],
  ['requests', ['*']],
  ['aiohttp', ['*']],
  ['pickle', ['*']],
  ['_pickle', ['*']],
  ['cPickle', ['*']],
  ['dill', ['*']],
  ['builtins', builtinNames()],
  ['__builtin__', builtinNames()],
  ['__builtins__', ['*']],
  ['types', ['FunctionType', 'CodeType', 'LambdaType', 'MethodType', 'ModuleType']],
  ['operator', ['attrgetter', 'methodcaller', 'call']],
  ['_operator', ['attrgetter', 'methodcaller', 'call']],
  ['pydoc', ['locate', 'pipepager', 'pager', 'tempfilepager']],
  ['platform', ['popen']],
  ['torch', ['load']],
  ['torch.jit', ['load']],
  ['torch.hub', ['load', 'load_state_dict_from_url']],
  ['torch.serialization', ['load']],
  ['torch._inductor.codecache', ['*']],
  ['numpy', ['load', 'loads']],
  ['numpy.lib.npyio', ['load']],
  ['numpy.testing._private.utils', ['runstring']],
]);

function builtinNames(): readonly string[] {
  const names = ['eval', 'exec', 'execfile', 'compile', 'getattr', 'setattr', 'delattr', '__import__', 'open'];
  return [...names, 'breakpoint', 'input', 'apply', 'globals', 'locals', 'vars', 'exit', 'quit', 'help', 'reload'];
}

/** More dotted parts than any real global has: refused rather than searched. */
const MAX_PARTS = 32;

function dottedParts(text: string): string[] {
  return text
    .split('.')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * The dangerous callable `module.name` would reach when unpickled, or undefined. Names are normalised first
 * (whitespace and newlines trimmed, dotted names split). CPython imports `module` and then follows `name`
 * attribute by attribute, so a denied module is matched from the start of `module` and from every attribute of
 * `name` (`posixpath` + `os.system` reaches os.system), and following a dunder attribute (`__globals__`) is unsafe.
 */
export function unsafeGlobal(module: string, name: string): string | undefined {
  const moduleParts = dottedParts(module);
  const parts = [...moduleParts, ...dottedParts(name)];
  if (parts.length > MAX_PARTS) return parts.slice(0, 3).join('.');
  for (let start = 0; start < parts.length; start = Math.max(start + 1, moduleParts.length)) {
    for (let end = start + 1; end <= parts.length; end++) {
      const names = denylist.get(parts.slice(start, end).join('.'));
      const attribute = parts[end];
      if (names && (names.includes('*') || (attribute !== undefined && names.includes(attribute))))
        return parts.slice(start, end + 1).join('.');
    }
  }
  const dunder = parts.findIndex((part, i) => i > moduleParts.length && /^__\w+__$/.test(part));
  return dunder < 0 ? undefined : parts.slice(0, dunder + 1).join('.');
}

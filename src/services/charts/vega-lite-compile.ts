import { compile, type TopLevelSpec } from 'vega-lite';
import type { Spec } from 'vega';

/**
 * Vega-Lite patches `Set.prototype.toJSON` for every program when it is loaded (it hashes sets
 * while compiling). Left in place it changes how any Set serialises, and it breaks discord.js,
 * whose bundled util.inspect copies every built-in prototype when loaded after it ("string
 * "Set()" is not iterable"). So the patch is taken off as soon as the module is loaded and put
 * back only while a spec compiles: compiling is synchronous, nothing else runs meanwhile.
 */
const patched = Object.getOwnPropertyDescriptor(Set.prototype, 'toJSON');
delete (Set.prototype as { toJSON?: unknown }).toJSON;

/** A Vega-Lite spec compiled to the Vega spec it stands for. */
export function compileVegaLite(spec: TopLevelSpec): Spec {
  if (!patched) return compile(spec).spec;
  Object.defineProperty(Set.prototype, 'toJSON', patched);
  try {
    return compile(spec).spec;
  } finally {
    delete (Set.prototype as { toJSON?: unknown }).toJSON;
  }
}

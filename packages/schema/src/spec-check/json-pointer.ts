/**
 * RFC 6901 JSON Pointers over parsed example bodies: the one place the checker walks paths.
 *
 * @internal
 * @module
 */

/** The reference tokens of a pointer (`#`-prefixed fragments accepted), unescaped. */
export function decodePointer(pointer: string): string[] {
  return pointer === '' || pointer === '#' ? [] : pointer.replace(/^#/, '').slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** The value at a pointer, or `undefined` when the path does not exist. */
export function valueAt(value: unknown, pointer: string): unknown {
  let current = value
  for (const token of decodePointer(pointer)) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[token]
  }
  return current
}

/** The pointer of the parent (`''` for members of the root). */
export function parentOf(pointer: string): string {
  const cut = pointer.lastIndexOf('/')
  return cut <= 0 ? '' : pointer.slice(0, cut)
}

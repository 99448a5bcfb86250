/**
 * The element of `type` at the construct path `path` under the stack, in a synthesized stack's JSON: cdktf names it
 * `<path with "_">_<hash>`. Exactly one must exist.
 */
export function at(json: any, type: string, path: string, mode: 'resource' | 'data' = 'resource'): [string, any] {
  const found = Object.entries<any>(json[mode][type] ?? {}).filter(([name]) =>
    new RegExp(`^${path.replace(/\//g, '_')}_[0-9A-F]{8}$`).test(name),
  );
  expect(found).toHaveLength(1);
  return found[0];
}

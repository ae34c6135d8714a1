/** How people see a connection everywhere: "Shopify webshop > e-conomic". */
export function connectionLabel(
  connection: { fromSystemId: string; toSystemId: string },
  systems: ReadonlyArray<{ systemId: string; name: string }>,
): string {
  const name = (systemId: string) => systems.find((system) => system.systemId === systemId)?.name ?? systemId;
  return `${name(connection.fromSystemId)} > ${name(connection.toSystemId)}`;
}

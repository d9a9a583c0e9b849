/** Bundles the dashboard's browser code; writes `outfile` when given, and returns the script's text either way. */
export function bundleDashboard(root: string, outfile?: string): Promise<string>;

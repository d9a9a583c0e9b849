// Types for require-node.mjs (plain JavaScript so that any Node can run it), for the tests.
export type NodeFloor = [major: number, minor: number, patch: number];
export function parseNodeFloor(range: string): NodeFloor;
export function meetsFloor(version: string, floor: NodeFloor): boolean;
export function nodeVersionProblem(at: { program: string; found: string; execPath: string; range: string; tested: string | null }): string | null;
export function requireSupportedNode(program: string): void;

// Moved to @hyperevolve/runtime (the scheduler writes command lines for people too).
export { shellQuote, shellQuoteArgv } from '@hyperevolve/runtime';

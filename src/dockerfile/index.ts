export { detectSyntax, parseDockerfile } from './parser.js';
export { analyzeBaseImages } from './analyze.js';
export type {
  AnalyzeOptions,
  BaseImageAnalysis,
  BaseImageUse,
  StageSummary,
  UnverifiedContext,
} from './analyze.js';
export { rewriteReferences } from './rewrite.js';
export type { ReferenceEdit } from './rewrite.js';
export { platformArgs, parsePlatform, formatPlatform } from './platform.js';
export type {
  DockerfileDirectives,
  Flag,
  Heredoc,
  Instruction,
  ParsedDockerfile,
  Problem,
  RunMount,
  Span,
  Token,
} from './types.js';
export { analyzeReadings } from './readings.js';
export {
  BUILDKIT_DIALECT,
  containersDialect,
  containersDialects,
  frontendDialects,
  frontendGrammar,
} from './dialect.js';
export type { Dialect, FrontendGrammar } from './dialect.js';

export { installTools, parseVersionOutput } from './install.js';
export type { InstallDeps, InstallLog, InstallRequest, InstallResult, ToolReport } from './install.js';
export { DEFAULT_CATALOG, normalizeVersion, refusalReason } from './catalog.js';
export type { Catalog, ScannerName, Signer, ToolName, ToolRelease } from './catalog.js';
export { planInstall, describeStep } from './plan.js';
export type { InstallPlan, VerificationStep } from './plan.js';
export { resolvePlatform, SUPPORTED_PLATFORMS } from './platform.js';
export type { Platform, PlatformKey } from './platform.js';

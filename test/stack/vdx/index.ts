// The VDX Booking Module API v2 sandbox: `import { startVdx } from '../stack/vdx'`.
export {
  startVdx,
  type MeetingInput,
  type StartVdxOptions,
  type VdxFault,
  type VdxFaultScope,
  type VdxHandle,
  type VdxRequestLogEntry,
} from './server';
export * from './schema';
export { MEETINGS_PER_DAY, DEFAULT_VMR_AVAILABLE_BEFORE_MIN, type SeedOptions } from './seed';
export { formatVdxDateTime, parseVdxDateTime, localDayBounds, localDayKey } from './time';
export { WRITE_ROLES, type VdxWriteFault } from './writes';
export { sandboxTemplates } from './templates';

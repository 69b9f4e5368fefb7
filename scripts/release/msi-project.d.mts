export function withWindowsIntegration(project: string, fragmentDocument: string): string;
export function msiProjectCreated(projectFile: string): Promise<void>;
export default msiProjectCreated;

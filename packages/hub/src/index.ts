export type { DownloadEvent, HubRepo } from "./download-hub-file";
export { downloadHubFile } from "./download-hub-file";

export { startKubeWatcher } from "./watcher";
export { WATCHED_RESOURCES } from "./port";
export type * from "./port";
export { createPodPullTracker, type PodPullTracker } from "./pod-pulls";

export { startIbmCloudSim, type IbmCloudSim, type IbmCloudSimOptions, type SimFaults, type SimStats } from "./server";
export { SIM_REGISTRY_DOMAINS, type SimRegistryDomain } from "./regions";
export { simClusterId, type SimCluster } from "./clusters";

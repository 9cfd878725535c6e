import { createOutboundPolicy, parseAllowList } from "@/lib/net/outbound";
import { REGISTRY_ALLOWED_HOSTS_SETTING } from "@/lib/registry-check/outbound";

/**
 * The allow-list tests give the registry checker: the simulators and scripted
 * registries listen on loopback, which the outbound policy refuses by default.
 */
export const LOOPBACK_REGISTRY_HOSTS = parseAllowList("127.0.0.1");
export const LOOPBACK_ALLOWED = createOutboundPolicy(LOOPBACK_REGISTRY_HOSTS, REGISTRY_ALLOWED_HOSTS_SETTING);

import { watchLiveTests } from "./watch-live.shared";

watchLiveTests("postgresql");

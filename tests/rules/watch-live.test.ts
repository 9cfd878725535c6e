import { watchLiveTests } from "./watch-live.shared";

watchLiveTests("sqlite");

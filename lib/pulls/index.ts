export { analysePulls, type PullAnalysisOptions } from "./analyse";
export { causeWords, classifyPullError, type PullErrorInput } from "./classify";
export { pullFindings, type PullFailureFinding } from "./findings";
export { countProblems, countSentence, groupProblems } from "./summary";
export * from "./types";

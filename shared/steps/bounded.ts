/**
 * How much per-cluster detail flow state may carry: CloudFlow fails a run whose state input or
 * output passes 64 KiB ("The size of the input and output of a state cannot exceed 64 KiB",
 * https://www.alibabacloud.com/help/en/serverless-workflow/latest/input-and-output). States carry
 * counts and the first few details; the rest is read back from the clouds (Zilliz's clusters,
 * the private zone's records) where it lives anyway.
 */
export const DETAIL_SAMPLE = 5;

/** The first DETAIL_SAMPLE items of a list. */
export const sample = <T>(items: T[]): T[] => items.slice(0, DETAIL_SAMPLE);

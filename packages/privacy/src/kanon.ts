/** The default k: no released cell counts fewer individuals (as MDS reports use). `releaseCounts` applies it. */
export const defaultK = 10;

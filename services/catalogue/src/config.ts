import { upstreamSettings } from '@sangam/http';

/** Settings of the catalogue: which upstream URLs it accepts. */
export const catalogueSettings = { ...upstreamSettings };

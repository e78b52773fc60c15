import { env } from '@sangam/core';

/** Settings of the catalogue. */
export const catalogueSettings = {
  SANGAM_UPSTREAM_ALLOW_HOSTS: env.list({
    default: [],
    item: /^[A-Za-z0-9.-]+$/,
    description: 'Hosts a proxy-mode upstream may name over plain http (https is allowed for any host)',
  }),
};

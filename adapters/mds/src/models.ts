/** An origin-destination cell: trips from one H3 cell to another in one hour, published only when at least k. */
export const odMatrixModel = {
  type: 'object',
  required: ['id', 'observedAt', 'origin', 'destination', 'trips'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: '<origin cell>><destination cell>' },
    observedAt: {
      type: 'string',
      format: 'date-time',
      description: 'The start of the hour the trips ended in',
    },
    origin: { type: 'string', description: 'H3 cell' },
    destination: { type: 'string', description: 'H3 cell' },
    resolution: { type: 'integer' },
    trips: {
      type: 'integer',
      minimum: 0,
      description: 'Trips; with noise (`epsilon`), the noisy count of distinct vehicles that made them',
    },
    meanDuration: { type: 'number', description: 'Seconds; absent with noise' },
    meanDistance: { type: 'number', description: 'Metres; absent with noise' },
    k: { type: 'integer' },
    epsilon: { type: 'number', description: 'ε of the noise on `trips`; absent when `trips` is exact' },
    location: { type: 'object', description: "GeoJSON Point: the origin cell's centre" },
  },
};

/**
 * A k-anonymous trip: no device or trip identifier; its ends, times, duration and distance generalised until at
 * least k distinct devices share the whole tuple; released a day at a time, once the day is over.
 */
export const anonymisedTripModel = {
  type: 'object',
  required: [
    'id',
    'observedAt',
    'endBucket',
    'bucketMinutes',
    'origin',
    'destination',
    'durationFrom',
    'durationTo',
    'distanceFrom',
    'distanceTo',
    'k',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: 'Unique to this release: names the record, never the trip' },
    observedAt: { type: 'string', format: 'date-time', description: 'The bucket the trip started in' },
    endBucket: { type: 'string', format: 'date-time', description: 'The bucket the trip ended in' },
    bucketMinutes: { type: 'integer', minimum: 1 },
    origin: { type: 'string', description: 'H3 cell' },
    originResolution: { type: 'integer' },
    destination: { type: 'string', description: 'H3 cell' },
    destinationResolution: { type: 'integer' },
    durationFrom: { type: 'integer', description: 'Seconds, band start' },
    durationTo: { type: 'integer', description: 'Seconds, band end (exclusive)' },
    distanceFrom: { type: 'integer', description: 'Metres, band start' },
    distanceTo: { type: 'integer', description: 'Metres, band end (exclusive)' },
    k: { type: 'integer', description: 'At least this many distinct devices share the tuple' },
    location: { type: 'object', description: "GeoJSON Point: the origin cell's centre" },
  },
};

/** Events per H3 cell, event type and hour (MDS `/events/historical`), cells under k withheld. */
export const cellEventsModel = {
  type: 'object',
  required: ['id', 'observedAt', 'cell', 'eventType', 'events'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: '<H3 cell>:<event type>' },
    observedAt: { type: 'string', format: 'date-time', description: 'The start of the hour' },
    cell: { type: 'string' },
    resolution: { type: 'integer' },
    eventType: { type: 'string' },
    events: { type: 'integer', minimum: 0 },
    k: { type: 'integer' },
    epsilon: { type: 'number', description: 'ε of the noise on the count; absent when the count is exact' },
    location: { type: 'object' },
  },
};

/** Vehicles per H3 cell and state in a time bucket (MDS `/vehicles/status`), cells under k withheld. */
export const cellVehiclesModel = {
  type: 'object',
  required: ['id', 'observedAt', 'cell', 'state', 'vehicles'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: '<H3 cell>:<vehicle state>' },
    observedAt: { type: 'string', format: 'date-time', description: 'The start of the time bucket' },
    cell: { type: 'string' },
    resolution: { type: 'integer' },
    state: { type: 'string' },
    vehicles: { type: 'integer', minimum: 0 },
    k: { type: 'integer' },
    epsilon: { type: 'number', description: 'ε of the noise on the count; absent when the count is exact' },
    location: { type: 'object' },
  },
};

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
    trips: { type: 'integer', minimum: 0 },
    meanDuration: { type: 'number', description: 'Seconds' },
    meanDistance: { type: 'number', description: 'Metres' },
    k: { type: 'integer' },
    location: { type: 'object', description: "GeoJSON Point: the origin cell's centre" },
  },
};

/**
 * An anonymised trip: device and trip named by keyed pseudonyms that change every day, start and end snapped to H3
 * cells, times bucketed, duration and distance rounded.
 */
export const anonymisedTripModel = {
  type: 'object',
  required: ['id', 'observedAt', 'device', 'origin', 'destination'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: "The trip's pseudonym for the day" },
    observedAt: { type: 'string', format: 'date-time', description: 'The bucket the trip started in' },
    device: { type: 'string', description: "The device's pseudonym for the day" },
    origin: { type: 'string' },
    destination: { type: 'string' },
    endBucket: { type: 'string', format: 'date-time' },
    duration: { type: 'integer', description: 'Seconds, to the minute' },
    distance: { type: 'integer', description: 'Metres, to 100 m' },
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
    location: { type: 'object' },
  },
};

/**
 * A live bus position as published, modelled on the Surat ITMS data descriptor: no licence plate, no driver or
 * ticket identifier, and the vehicle named only by a pseudonym that changes every day.
 */
export const busPositionModel = {
  type: 'object',
  required: ['id', 'observedAt', 'location'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: "The vehicle's pseudonym for the day" },
    observedAt: { type: 'string', format: 'date-time' },
    routeId: { type: 'string' },
    tripId: { type: 'string' },
    tripDirection: { type: 'string' },
    tripDelay: { type: 'number', description: 'Seconds behind schedule' },
    lastStopId: { type: 'string' },
    lastStopArrivalTime: { type: 'string' },
    speed: { type: 'number', minimum: 0, description: 'km/h' },
    bearing: { type: 'number' },
    occupancy: { type: 'string' },
    location: { type: 'object', description: 'GeoJSON Point' },
  },
};

/** Occupancy per route per time bucket: how many buses were seen, and how full, by GTFS-realtime status. */
export const routeOccupancyModel = {
  type: 'object',
  required: ['id', 'observedAt', 'vehicles'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: 'The route' },
    observedAt: { type: 'string', format: 'date-time', description: 'The start of the time bucket' },
    bucketMinutes: { type: 'integer' },
    vehicles: {
      type: 'integer',
      minimum: 0,
      description: 'Distinct buses seen on the route (noisy with `epsilon`)',
    },
    observations: { type: 'integer', minimum: 0, description: 'Absent with noise' },
    occupancy: {
      type: 'object',
      additionalProperties: { type: 'integer' },
      description:
        'Observations by status; with noise, the noisy count of distinct buses seen in each status',
    },
    k: {
      type: 'integer',
      description:
        'At least this many distinct buses ran the route in the bucket (with noise: the noisy count reached it)',
    },
    epsilon: {
      type: 'number',
      description: 'ε of the noise on each count; absent when the counts are exact',
    },
  },
};

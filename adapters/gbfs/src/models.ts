/** The data model of published station availability: stations are public infrastructure, published as they are. */
export const stationAvailabilityModel = {
  type: 'object',
  required: ['id', 'observedAt', 'vehiclesAvailable', 'isRenting', 'isReturning'],
  properties: {
    id: { type: 'string', description: 'The station id' },
    observedAt: { type: 'string', format: 'date-time', description: "The feed's last_updated" },
    name: { type: 'string' },
    location: { type: 'object', description: 'GeoJSON Point' },
    vehiclesAvailable: { type: 'integer', minimum: 0 },
    docksAvailable: { type: 'integer', minimum: 0 },
    isInstalled: { type: 'boolean' },
    isRenting: { type: 'boolean' },
    isReturning: { type: 'boolean' },
    lastReported: { type: 'string', format: 'date-time' },
    vehicleTypesAvailable: {
      type: 'array',
      items: {
        type: 'object',
        required: ['vehicleType', 'count'],
        properties: { vehicleType: { type: 'string' }, count: { type: 'integer', minimum: 0 } },
      },
    },
  },
};

/**
 * The data model of published vehicle availability: counts of available vehicles per H3 cell, time bucket and
 * vehicle type, with cells under k withheld. No vehicle appears in it.
 */
export const vehicleAvailabilityModel = {
  type: 'object',
  required: ['id', 'observedAt', 'cell', 'vehicleType', 'available'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: '<H3 cell>:<vehicle type>' },
    observedAt: { type: 'string', format: 'date-time', description: 'The start of the time bucket' },
    cell: { type: 'string', description: 'H3 cell' },
    resolution: { type: 'integer' },
    vehicleType: { type: 'string' },
    available: { type: 'integer', minimum: 0 },
    location: { type: 'object', description: "GeoJSON Point: the cell's centre" },
    bucketMinutes: { type: 'integer' },
    k: { type: 'integer', description: 'The k this count was checked against' },
    epsilon: { type: 'number', description: 'The ε of the noise added to the count, when there was noise' },
  },
};

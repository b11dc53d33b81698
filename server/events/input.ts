import { eventSchemas, type EventSchemas } from '../../shared/api/events.js';
import { readMobile, type CountryCode } from '../customers/phone.js';

const byCountry = new Map<CountryCode, EventSchemas>();

/**
 * The events API's input schemas, reading a phone written nationally in `country` (config.defaultCountry): the one
 * check of the events API, the hooks and the imports. Built once per country.
 */
export function inputSchemas(country: CountryCode): EventSchemas {
  let schemas = byCountry.get(country);
  if (!schemas) byCountry.set(country, (schemas = eventSchemas((written) => readMobile(written, country))));
  return schemas;
}

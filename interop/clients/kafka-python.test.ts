import { kafkaPythonDriver } from '../drivers/python.ts';
import { clientScenarios } from '../suite/client-scenarios.ts';

clientScenarios(kafkaPythonDriver);

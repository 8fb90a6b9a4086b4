import { platformaticDriver } from '../drivers/platformatic.ts';
import { clientScenarios } from '../suite/client-scenarios.ts';

clientScenarios(platformaticDriver);

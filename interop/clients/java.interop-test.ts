import { javaDriver } from '../drivers/java.ts';
import { clientScenarios } from '../suite/client-scenarios.ts';

clientScenarios(javaDriver);

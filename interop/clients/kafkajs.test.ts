import { kafkajsDriver } from '../drivers/kafkajs.ts';
import { clientScenarios } from '../suite/client-scenarios.ts';

clientScenarios(kafkajsDriver);

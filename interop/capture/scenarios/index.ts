// Every capture scenario, in the order capture.ts runs them.
import type { Scenario } from '../scenario.ts';
import { kafkajsScenario } from './kafkajs.ts';
import { kcatScenario } from './kcat.ts';

export const scenarios: readonly Scenario[] = [kafkajsScenario, kcatScenario];

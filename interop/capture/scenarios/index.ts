// Every capture scenario, in the order capture.ts runs them.
import type { Scenario } from '../scenario.ts';
import { franzGoScenario } from './franz-go.ts';
import { javaScenario } from './java.ts';
import { kafkajsScenario } from './kafkajs.ts';
import { kcatScenario } from './kcat.ts';
import { confluentKafkaScenario, kafkaPythonScenario } from './python.ts';

export const scenarios: readonly Scenario[] = [
  kafkajsScenario,
  kcatScenario,
  confluentKafkaScenario,
  kafkaPythonScenario,
  franzGoScenario,
  javaScenario,
];

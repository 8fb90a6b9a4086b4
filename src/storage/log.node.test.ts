import { partitionLogContract } from './log-contract.ts';
import { nodeFixture } from './log-fixture.ts';

partitionLogContract('over NodeFileSystem', nodeFixture);

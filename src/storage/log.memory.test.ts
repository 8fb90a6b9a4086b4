import { partitionLogContract } from './log-contract.ts';
import { memoryFixture } from './log-fixture.ts';

partitionLogContract('over MemoryFileSystem', memoryFixture);

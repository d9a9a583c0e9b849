export { readFixture } from '../formats/read-fixture.test-support.js';

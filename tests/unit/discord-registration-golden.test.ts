import path from 'node:path';
import { IEX_COMMAND } from '../../bots/discord/slash-command';
import { expectGolden } from '../support/golden';

/** What `npm run discord:register` sends: a change to it is a change Discord users see. */
describe('/iex registration on Discord', () => {
  it('is the registration JSON of the golden file', () => {
    expectGolden(path.join(__dirname, '../fixtures/discord'), 'registration', IEX_COMMAND);
  });
});

/**
 * The booking API as another machine would serve it: the test stack (IdP and VDX sandbox)
 * in a process of its own, so a benchmark's client pays only for its own side of a sync,
 * as against a real server. The days to fill come as arguments (YYYY-MM-DD=count); prints
 * one JSON line {vdxBaseUrl, token} and runs until stdin closes.
 */
import { startStack } from '../test/stack/stack';
import { fillDay } from './fill-day';

const stack = await startStack({ seed: false });
for (const arg of process.argv.slice(2)) {
  const [day, count] = arg.split('=');
  fillDay((m) => stack.vdx.addMeeting(m), day!, Number(count));
}
const token = await stack.idp.mintAccessToken(stack.idp.users[0]!.username);
process.stdout.write(JSON.stringify({ vdxBaseUrl: stack.vdx.baseUrl, token }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => void stack.stop().then(() => process.exit(0)));

import { mount } from 'svelte';
import CallWindowRoot from '../../call/window/CallWindowRoot.svelte';
import { initI18n } from './i18n/i18n.svelte';
import './styles.css';
import '../../call/window/call.css';
import { logUncaughtErrors } from './lib/window-log';

// First, so an error while the window starts reaches main's log too.
logUncaughtErrors();

await initI18n();
mount(CallWindowRoot, { target: document.getElementById('app')! });

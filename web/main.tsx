import { render } from 'preact';
import { App } from './app.js';
import { readStaticSignIn } from './static-sign-in.js';
import './styles.css';

const root = document.getElementById('app')!;
// Read in the same task as the render: no keystroke can fall between them.
render(<App staticSignIn={readStaticSignIn(root)} />, root);

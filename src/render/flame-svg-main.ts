// Entry point of the inline script bundle (scripts/build.js): wires the flame graph into the document it runs in.
import { installFlameGraph } from './flame-svg-script';

installFlameGraph(document);

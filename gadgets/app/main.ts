// Entry point: defines the app shell; everything else loads lazily from the route table.
import './app-shell';

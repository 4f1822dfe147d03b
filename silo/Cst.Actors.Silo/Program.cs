// Placeholder entry point; the silo host is built by the platform work.
return 0;

"""A person's rights over their data (GDPR arts. 15–21): what Alliance holds about
them, the archive they download, the pseudonymisation that erases their identity
once the law no longer asks to keep it, and the retention policy per kind of data."""

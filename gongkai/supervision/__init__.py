"""监督保障: periodic statistics, the reporting calendar, 督办, the 考核 scorecard, 整改 and
reminders (issue 12). Built on cases, disclosure, reports and portal; only the packages that
compose everything (api, web, demo, cli) sit above it."""

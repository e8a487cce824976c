CREATE TABLE `attempt_counters` (
	`tenant_id` text NOT NULL,
	`scope` text NOT NULL,
	`subject` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `scope`, `subject`, `window_start`)
);

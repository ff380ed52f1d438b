CREATE TABLE `learned_phrases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`org` text NOT NULL,
	`phrase` text NOT NULL,
	`metric_id` text NOT NULL,
	`created_by` text NOT NULL,
	`report_id` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `learned_phrases_org_phrase` ON `learned_phrases` (`year`,`org`,`phrase`);

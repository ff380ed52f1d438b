CREATE TABLE `catalogs` (
	`year` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`start` text NOT NULL,
	`deadline` text NOT NULL,
	`data` text NOT NULL,
	`loaded_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chats` (
	`chat_id` text PRIMARY KEY NOT NULL,
	`name` text,
	`projects` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `contacts` (
	`open_id` text PRIMARY KEY NOT NULL,
	`name` text,
	`org` text,
	`role` text DEFAULT 'contact' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`requested_org` text,
	`leave_until` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contacts_org` ON `contacts` (`org`,`status`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`job` text NOT NULL,
	`period_key` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`detail` text,
	`started_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`finished_at` integer,
	PRIMARY KEY(`job`, `period_key`)
);
--> statement-breakpoint
CREATE TABLE `metrics` (
	`year` integer NOT NULL,
	`id` text NOT NULL,
	`project` integer NOT NULL,
	`name` text NOT NULL,
	`measure` text,
	`kind` text NOT NULL,
	`target` real,
	`unit` text,
	`lead` text NOT NULL,
	`aliases` text NOT NULL,
	`deadline` text NOT NULL,
	PRIMARY KEY(`year`, `id`)
);
--> statement-breakpoint
CREATE TABLE `organisations` (
	`year` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`aliases` text NOT NULL,
	PRIMARY KEY(`year`, `name`)
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text NOT NULL,
	`kind` text NOT NULL,
	`receive_id_type` text,
	`target` text NOT NULL,
	`msg_type` text NOT NULL,
	`content` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`last_error` text,
	`lease_until` integer,
	`lark_message_id` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_uuid` ON `outbox` (`uuid`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `processed_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`received_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`processed_at` integer,
	`lease_until` integer
);
--> statement-breakpoint
CREATE INDEX `processed_events_pending` ON `processed_events` (`status`,`received_at`);--> statement-breakpoint
CREATE TABLE `projects` (
	`year` integer NOT NULL,
	`no` integer NOT NULL,
	`name` text NOT NULL,
	`units` text NOT NULL,
	PRIMARY KEY(`year`, `no`)
);
--> statement-breakpoint
CREATE TABLE `report_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`year` integer NOT NULL,
	`metric_id` text NOT NULL,
	`value` real,
	`milestone` text,
	`mode` text NOT NULL,
	`scope` text NOT NULL,
	`as_of` text NOT NULL,
	`approximate` integer DEFAULT false NOT NULL,
	`reporter_open_id` text NOT NULL,
	`org` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`superseded_at` integer,
	`superseded_by` integer,
	`superseded_by_open_id` text,
	`supersede_reason` text,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_items_live` ON `report_items` (`year`,`metric_id`,`scope`,`superseded_at`,`mode`,`as_of`);--> statement-breakpoint
CREATE INDEX `report_items_report` ON `report_items` (`report_id`);--> statement-breakpoint
CREATE INDEX `report_items_created` ON `report_items` (`year`,`created_at`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`event_id` text,
	`sender_open_id` text NOT NULL,
	`org` text,
	`chat_id` text,
	`chat_type` text,
	`text` text NOT NULL,
	`parse` text,
	`status` text DEFAULT 'received' NOT NULL,
	`status_detail` text,
	`received_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_message_id` ON `reports` (`message_id`);--> statement-breakpoint
CREATE INDEX `reports_sender` ON `reports` (`sender_open_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_by` text
);

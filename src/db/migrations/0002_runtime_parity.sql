-- The pinned clock's anchor: when a MINSHENG_NOW value was first seen (real time), so the pinned
-- clock runs on from there across requests, isolates and restarts, on Workers and on Node alike.
CREATE TABLE `clock_anchors` (
	`pinned` text PRIMARY KEY NOT NULL,
	`real_start` integer NOT NULL
);
--> statement-breakpoint
-- One processor per chat at a time (a lease, as in the inbox), so a chat's messages take effect in
-- the order Lark sent them even when a Worker runs their deliveries concurrently.
CREATE TABLE `chat_leases` (
	`chat_id` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`lease_until` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `processed_events` ADD `chat_id` text;
--> statement-breakpoint
ALTER TABLE `processed_events` ADD `sent_at` integer;
--> statement-breakpoint
CREATE INDEX `processed_events_chat` ON `processed_events` (`chat_id`,`status`,`sent_at`);

DROP INDEX IF EXISTS `report_items_live`;--> statement-breakpoint
CREATE INDEX `report_items_live` ON `report_items` (`year`,`metric_id`,`scope`,`superseded_at`,`as_of`,`id`,`mode`,`value`);--> statement-breakpoint
DROP INDEX IF EXISTS `report_items_created`;--> statement-breakpoint
CREATE INDEX `report_items_created` ON `report_items` (`year`,`created_at`,`superseded_at`,`metric_id`,`org`,`reporter_open_id`,`as_of`);

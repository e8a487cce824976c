DROP INDEX `orders_visitor_idx`;--> statement-breakpoint
CREATE INDEX `orders_visitor_idx` ON `orders` (`tenant_id`,`gallery_id`,`visitor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `galleries_listed_idx` ON `galleries` (`tenant_id`,`position`,`id`) WHERE visibility = 'public';--> statement-breakpoint
CREATE INDEX `proof_lists_page_idx` ON `proof_lists` (`tenant_id`,`gallery_id`,`created_at`,`id`);
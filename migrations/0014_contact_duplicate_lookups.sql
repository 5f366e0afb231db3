CREATE INDEX `contacts_phone` ON `contacts` (`phone`);--> statement-breakpoint
CREATE INDEX `contacts_email` ON `contacts` (`email`);
import { type MantineSpacing, Stack, Text, Title, type TitleOrder } from '@mantine/core';

interface TitleBlockProps {
  title: string;
  /** A line under the title saying what the page or card is for. */
  subtitle?: string;
  mb?: MantineSpacing;
  testId?: string;
}

/** A heading with its dimmed subtitle. */
export function TitleBlock({ order, size, title, subtitle, mb, testId }: TitleBlockProps & { order: TitleOrder; size: string }) {
  return (
    <Stack gap={2} mb={mb}>
      <Title order={order} size={size} data-testid={testId}>
        {title}
      </Title>
      {subtitle ? (
        <Text size="sm" c="dimmed">
          {subtitle}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The heading of a card on a page: an h2 under the page's h1. */
export function SectionTitle(props: TitleBlockProps) {
  return <TitleBlock order={2} size="h5" {...props} />;
}

def upgrade(:
  \
